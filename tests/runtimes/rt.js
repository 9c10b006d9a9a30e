// rt.js — a Node.js program for tests/t_runtimes.sh: worker threads, a
// signal handler, child processes and file I/O.  The output is the same
// natively and under runsel.
'use strict';
const { Worker } = require('worker_threads');
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function worker(k) {
    return new Promise((resolve, reject) => {
        const w = new Worker(`
            const { parentPort, workerData } = require('worker_threads');
            let s = 0;
            for (let j = 0; j < 1000000; j++) s += (j ^ workerData) & 7;
            parentPort.postMessage(s);`, { eval: true, workerData: k });
        w.on('message', resolve);
        w.on('error', reject);
    });
}

async function main() {
    const parts = await Promise.all([0, 1, 2, 3].map(worker));
    console.log('threads: total', parts.reduce((a, b) => a + b, 0));

    // A signal listener does not keep the event loop alive: a timer does,
    // until the handler has run (without it a slow machine exits first).
    await new Promise((resolve) => {
        const alive = setTimeout(() => {}, 60000);
        process.once('SIGUSR2', () => {
            clearTimeout(alive);
            console.log('signal: handler ran');
            resolve();
        });
        process.kill(process.pid, 'SIGUSR2');
    });

    console.log('child:', execFileSync('/bin/sh', ['-c', 'echo from sh']).toString().trim(),
                'status', spawnSync('/bin/sh', ['-c', 'exit 5']).status);

    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rt-js')), 'f.txt');
    fs.writeFileSync(f, 'written by rt.js\n');
    process.stdout.write('files: ' + fs.readFileSync(f, 'utf8'));
    fs.rmSync(path.dirname(f), { recursive: true });
}

main();
