//go:build !cgo

package main

// cgoCall: the static build has no C; it prints what the cgo build does.
func cgoCall() string {
	return "C says 2"
}
