import { MAX_SAVED_VIEWS } from '../../../shared/api/views.ts';
import { deleteView, savedViews, saveView } from '../../../db/savedViews.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';

/** Saved views of a register list: the signed-in user's own, on this laptop (db/savedViews.ts). */
export const viewsList: Handler<'views.list'> = (ctx, call, input) => savedViews(ctx.store.db, signedInUser(call).id, input.register);

export const viewsSave: Handler<'views.save'> = (ctx, call, input) => {
  const saved = saveView(ctx.store.db, signedInUser(call).id, input.register, input.name, input.state, ctx.now());
  if (saved === false) throw new HostFailure('VALIDATION', `每个登记簿最多保存 ${MAX_SAVED_VIEWS} 个视图；请先删除不用的视图`, { issues: [{ path: ['name'], code: 'TOO_MANY_VIEWS', message: 'TOO_MANY_VIEWS' }] });
  return saved;
};

export const viewsDelete: Handler<'views.delete'> = (ctx, call, input) => deleteView(ctx.store.db, signedInUser(call).id, input.register, input.name, ctx.now());
