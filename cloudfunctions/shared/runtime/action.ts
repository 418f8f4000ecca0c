/**
 * An action's definition: its input, who may call it, and what it does. Who may call it is declared
 * beside the input, never checked inside `run`, and resolved here in one step before `run` starts
 * (fixmystreet's "load the report or say why not"). Three kinds of access:
 *
 * - `'public'` / `'self'`: any signed-in user, reading what is public / acting on their own data;
 * - `{ roles, at }`: holders of one of the roles whose scope covers the node acted on — a node of the
 *   network named by the request, the center, or the caller's own widest scope; `run` gets that node;
 * - `{ document, as }` (through `documentAction`): the document is loaded and the caller must stand in
 *   one of the relations to it (requester, assignee, dispatcher in scope …); `run` gets it loaded.
 *
 * The answers never tell a caller more than they may know: NOT_FOUND or FORBIDDEN are decided here,
 * before anything the action could say about the document's state (CONFLICT and the like).
 */
import type * as z from 'zod/mini';
import type { Role } from '../../../typings/domain';
import { AppError } from './errors';
import { coveringRoles, widestScope } from '../auth/domain/guard';
import type { CallerRecord } from '../auth/caller';
import { pathOf, type OrgDoc } from '../org/domain/model';
import { getOrg, getRoot } from '../org/store';

export interface ActionContext {
  /** The caller's openid, from cloud.getWXContext(). */
  openid: string;
  /** The time this call started (the local cloud's clock when running locally). */
  now: Date;
  functionName: string;
  action: string;
  /** The caller's stored record and roles, read once on first use. */
  caller(): Promise<CallerRecord>;
}

/**
 * Any signed-in user: `'public'` information (the network), or the caller's `'self'` (their own data);
 * `'anonymous'`: anyone, signed in or not (the big screen's aggregate figures; `ctx.openid` is '').
 */
export type OpenAccess = 'public' | 'self' | 'anonymous';

export interface RoleAccess<Req> {
  /** The roles that may call it (a function of the request where it depends on it: who may appoint whom). */
  roles: readonly Role[] | ((req: Req) => readonly Role[]);
  /**
   * The node acted on: the id of a node of the network, read from the request (none: the caller's own
   * scope), `'center'`, or `'own'` — the widest node where the caller holds one of the roles.
   */
  at: 'own' | 'center' | ((req: Req) => string | undefined);
  /** When only some requests need the roles (order.list's `area`); the others are the caller's own. */
  only?(req: Req): boolean;
  /** What a caller without the role is told. */
  forbidden?: string;
}

/** What a scoped action may act on: the node its access was checked against. */
export interface Scope {
  /** The node's path, center first; the node itself is last. */
  path: string[];
  orgId: string;
  /** The node's document, when the request named it (read by the access check: not to be read again). */
  node?: OrgDoc;
}

/** A kind of document an action acts on, and how a caller stands to one (their relations). */
export interface DocumentKind<Key, D, Rel extends string> {
  load(key: Key, ctx: ActionContext): Promise<D | undefined>;
  relations(doc: D): readonly Rel[];
  /**
   * True when the caller's own last change to the document was this very action: a retry whose answer
   * was lost, let through to be answered as done even though the caller's relation has changed since.
   */
  replay?(doc: D, ctx: ActionContext): boolean;
  notFound: string;
  forbidden: string;
}

export interface DocumentAccess<Key = unknown, D = unknown, Rel extends string = string> {
  document: DocumentKind<Key, D, Rel>;
  /** The relations to the document that let a caller call it; any one suffices. */
  as: readonly Rel[];
  /** What others are told, where it differs from the kind's. */
  forbidden?: string;
}

export type Access<Req> = OpenAccess | RoleAccess<Req> | DocumentAccess<Req>;

/** A loaded document with the caller's relations to it, as a document action's `run` receives it. */
export type Granted<D, Rel extends string> = D & { relations: readonly Rel[] };

export interface ActionDef<Req, Res> {
  input: z.ZodMiniType<Req>;
  access: Access<Req>;
  /** The third argument is what the access resolved: nothing, a Scope, or the loaded document. */
  run(ctx: ActionContext, input: Req, granted: never): Promise<Res>;
}

interface OpenDef<Req, Res> {
  input: z.ZodMiniType<Req>;
  access: OpenAccess;
  run(ctx: ActionContext, input: Req): Promise<Res>;
}

interface ScopedDef<Req, Res> {
  input: z.ZodMiniType<Req>;
  access: RoleAccess<Req>;
  run(ctx: ActionContext, input: Req, scope: Scope): Promise<Res>;
}

/** Declares an action; the contract types come from typings/api.ts through defineFunction. */
export function action<Req, Res>(def: OpenDef<Req, Res>): ActionDef<Req, Res>;
export function action<Req, Res>(def: ScopedDef<Req, Res>): ActionDef<Req, Res>;
export function action<Req, Res>(def: OpenDef<Req, Res> | ScopedDef<Req, Res>): ActionDef<Req, Res> {
  return def as ActionDef<Req, Res>;
}

/** The declaring function for actions on one kind of document: `as` names who may call it. */
export function documentAction<Key, D, Rel extends string>(document: DocumentKind<Key, D, Rel>) {
  return <Req extends Key, Res>(def: {
    input: z.ZodMiniType<Req>;
    as: readonly Rel[];
    forbidden?: string;
    run(ctx: ActionContext, input: Req, doc: Granted<D, Rel>): Promise<Res>;
  }): ActionDef<Req, Res> => ({
    input: def.input,
    access: { document: document as DocumentKind<unknown, unknown, string>, as: def.as, forbidden: def.forbidden },
    run: def.run as ActionDef<Req, Res>['run'],
  });
}

export const isOpenAccess = <Req>(a: Access<Req>): a is OpenAccess => typeof a === 'string';

export const isDocumentAccess = <Req>(a: Access<Req>): a is DocumentAccess<Req> =>
  typeof a === 'object' && 'document' in a;

/** The roles a role access asks of this request ([] when it asks none). */
export function rolesFor<Req>(access: RoleAccess<Req>, req: Req): readonly Role[] {
  if (access.only && !access.only(req)) return [];
  return typeof access.roles === 'function' ? access.roles(req) : access.roles;
}

/** Whether a request acts on the caller's own scope rather than on a node it names. */
export const actsOnOwnScope = <Req>(access: RoleAccess<Req>, req: Req): boolean =>
  access.at === 'own' || (typeof access.at === 'function' && access.at(req) === undefined);

/** A node of the network (the center for null); null when there is no such node. */
async function nodeOf(id: string | null): Promise<OrgDoc | null> {
  return (id === null ? await getRoot() : await getOrg(id)) ?? null;
}

/** Resolves the declared access: answers what `run` receives, or throws NOT_FOUND / FORBIDDEN. */
export async function authorize<Req>(access: Access<Req>, ctx: ActionContext, req: Req): Promise<unknown> {
  if (access === 'public' || access === 'self' || access === 'anonymous') return undefined;
  if (isDocumentAccess(access)) {
    const kind = access.document;
    const doc = await kind.load(req, ctx);
    if (doc === undefined) throw new AppError('NOT_FOUND', kind.notFound);
    const relations = kind.relations(doc);
    if (!relations.some((r) => access.as.includes(r)) && !kind.replay?.(doc, ctx)) {
      throw new AppError('FORBIDDEN', access.forbidden ?? kind.forbidden);
    }
    return { ...(doc as object), relations };
  }
  const roles = rolesFor(access, req);
  if (roles.length === 0) return undefined;
  const node = typeof access.at === 'function' ? access.at(req) : access.at;
  // The caller and the node named are read together (one round trip); the node's answer is only used
  // once the caller is known to hold the role somewhere.
  const [{ roles: held }, named] = await Promise.all([
    ctx.caller(),
    node === 'own' || node === undefined ? Promise.resolve(null) : nodeOf(node === 'center' ? null : node),
  ]);
  if (!held.some((r) => roles.includes(r.role))) throw new AppError('FORBIDDEN', access.forbidden);
  const path = node === 'own' || node === undefined ? (widestScope(held, roles)?.path ?? null) : named && pathOf(named);
  // Someone holding the role somewhere may learn that the node does not exist; others never get this far.
  if (path === null) throw new AppError('NOT_FOUND');
  if (coveringRoles(held, roles, path).length === 0) throw new AppError('FORBIDDEN', access.forbidden);
  return { path, orgId: path[path.length - 1], ...(named ? { node: named } : {}) } satisfies Scope;
}
