// Loaded with --require into a command's Node processes (children inherit NODE_OPTIONS), it writes
// every network connection one of them opens, with the host it names, to the file in NETWORK_LOG.
// A host name is looked up as part of connecting, so an outside lookup shows up here too.
const fs = require("node:fs");
const net = require("node:net");

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === "object" && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : {};
  const target = options.path ?? `${options.host ?? args[1] ?? "localhost"}:${options.port ?? args[0]}`;
  fs.appendFileSync(process.env.NETWORK_LOG, `${process.pid} ${target}\n`);
  return connect.apply(this, args);
};
