// fastify: the listener on a shared emitter is removed in finally, whatever happens (no leak).
import { EventEmitter } from 'node:events';
import Fastify from 'fastify';

const jobs = new EventEmitter();
const app = Fastify();

app.post<{ Body: { id: string } }>('/jobs', async (request) => {
  let progress = 0;
  const onProgress = (id: string, percent: number) => {
    if (id === request.body.id) progress = percent;
  };
  jobs.on('progress', onProgress);
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { progress };
  } finally {
    jobs.removeListener('progress', onProgress);
  }
});

await app.listen({ port: 3000 });
