import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-interval-per-request.js';

new RuleTester().run('no-interval-per-request', rule, {
  valid: [
    `app.get('/e', (req, res) => { const t = setInterval(() => res.write('.'), 1000); req.on('close', () => clearInterval(t)); });`,
    `wss.on('connection', (ws) => { const hb = setInterval(() => ws.ping(), 30000); ws.on('close', () => clearInterval(hb)); });`,
    // Module level: once per process.
    `setInterval(() => sweep(), 60000).unref(); app.get('/', (req, res) => res.end());`,
    // A listen callback runs once.
    `app.listen(3000, () => { setInterval(() => log(), 60000); });`,
    // Handed to other code.
    `app.get('/x', (req, res) => { timers.push(setInterval(() => {}, 1000)); });`,
  ],
  invalid: [
    {
      code: `app.get('/stream', (req, res) => {\n  setInterval(() => res.write('.'), 1000);\n});`,
      errors: [{ messageId: 'intervalPerRequest', line: 2 }],
    },
    {
      // The handle is kept but never cleared.
      code: `app.get('/p', (request, reply) => {\n  const timer = setInterval(() => {}, 200);\n  request.log.info(String(timer));\n});`,
      errors: [{ messageId: 'intervalPerRequest', line: 2 }],
    },
    {
      code: `wss.on('connection', (socket) => {\n  setInterval(() => socket.ping(), 30000);\n});`,
      errors: [{ messageId: 'intervalPerRequest', line: 2 }],
    },
    {
      // A NestJS gateway's handleConnection runs per WebSocket client.
      code: `@WebSocketGateway()\nexport class Chat {\n  handleConnection(client: any) {\n    setInterval(() => client.emit('ping'), 1000);\n  }\n}`,
      errors: [{ messageId: 'intervalPerRequest', line: 4 }],
    },
    {
      // unref() does not stop it.
      code: `http.createServer((req, res) => {\n  setInterval(() => {}, 1000).unref();\n  res.end();\n});`,
      errors: [{ messageId: 'intervalPerRequest', line: 2 }],
    },
  ],
});
