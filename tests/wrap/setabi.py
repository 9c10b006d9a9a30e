#!/usr/bin/env python3
"""setabi.py FILE MAJOR — rewrite the major version in FILE's runsel ABI
note (for a test image the loader must refuse)."""
import struct, sys
path, major = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
key = struct.pack("<III", 7, 16, 1) + b"runsel\0\0"
at = data.find(key)
if at < 0:
    sys.exit("setabi: no runsel note in " + path)
data[at + len(key):at + len(key) + 4] = struct.pack("<I", major)
open(path, "wb").write(data)
