// Hello Sum in JavaScript (Node.js): read all of stdin at once.
const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
console.log(String(a + b));
