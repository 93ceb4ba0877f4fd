// Benchmark driver (`npm run bench`).
console.log('no benchmarks yet');
