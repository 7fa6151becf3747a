// Preloaded (`node --require`) into child processes such as Prism: the child exits as soon as its
// stdin pipe closes, which happens when the parent exits for any reason — even SIGKILL or a crash —
// so no mock server outlives the test run that started it.
"use strict";
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
