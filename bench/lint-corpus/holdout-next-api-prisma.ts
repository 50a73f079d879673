// Next.js API route: a PrismaClient per request.
import type { NextApiRequest, NextApiResponse } from 'next';
import { PrismaClient } from '@prisma/client';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const prisma = new PrismaClient(); // leak: no-client-per-request
  const posts = await prisma.post.findMany({ take: 10 });
  res.status(200).json(posts);
}
