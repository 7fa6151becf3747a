// Child process started by scripts/lib/registry.mjs: runs the workspace's Verdaccio (a dev dependency)
// with the given config file on 127.0.0.1 and a port the OS picks, then prints the URL it listens on.
// Preload exit-with-parent.cjs so that it also exits when the process that started it dies.
"use strict";
const { runServer } = require("verdaccio");

runServer(process.argv[2])
  .then((server) => {
    server.listen(0, "127.0.0.1", () => {
      process.stdout.write(`verdaccio listening on http://127.0.0.1:${server.address().port}\n`);
    });
    server.on("error", (error) => {
      process.stderr.write(`verdaccio: ${error.stack || error}\n`);
      process.exit(1);
    });
  })
  .catch((error) => {
    process.stderr.write(`verdaccio failed to start: ${error.stack || error}\n`);
    process.exit(1);
  });
