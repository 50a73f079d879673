// hapi: server.route with a handler(request, h) that pushes every payload into a module array.
const Hapi = require('@hapi/hapi');

const events = [];
const server = Hapi.server({ port: 3000 });

server.route({
  method: 'POST',
  path: '/events',
  handler: (request, h) => {
    events.push(request.payload); // leak: no-module-state-per-request
    return h.response({ stored: events.length }).code(201);
  },
});

await server.start();
