// express: a controller class with handler methods; user objects memoized by id in a module Map.
import type { Request, Response } from 'express';

const userCache = new Map<string, { id: string; name: string }>();

async function loadUser(id: string) {
  return { id, name: `user ${id}` };
}

export class UserController {
  async show(req: Request, res: Response): Promise<void> {
    const id = req.params.id!;
    let user = userCache.get(id);
    if (user === undefined) {
      user = await loadUser(id);
      userCache.set(id, user); // leak: no-unbounded-memoize
    }
    res.json(user);
  }
}
