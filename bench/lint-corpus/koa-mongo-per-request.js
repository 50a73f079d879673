// koa: a MongoClient per request, connected and never closed.
const Koa = require('koa');
const { MongoClient } = require('mongodb');

const app = new Koa();

app.use(async (ctx) => {
  const mongo = new MongoClient(process.env.MONGO_URL); // leak: no-client-per-request
  await mongo.connect();
  ctx.body = await mongo.db('app').collection('items').find().limit(10).toArray();
});

app.listen(3000);
