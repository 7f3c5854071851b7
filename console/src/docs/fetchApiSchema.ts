import { buildSchema, type GraphQLSchema } from 'graphql';

/** Why the schema could not be had, said for the docs pane. */
export class SchemaUnavailable extends Error {}

/**
 * The API schema from the router's GET /console/schema, with the session's token: served to a
 * signed-in user even where the router denies introspection on /graphql.
 */
export async function fetchApiSchema(token: string): Promise<GraphQLSchema> {
  let response: Response;
  try {
    response = await fetch('/console/schema', { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new SchemaUnavailable('The schema could not be loaded: the router could not be reached.');
  }
  if (response.status === 401) throw new SchemaUnavailable('The router no longer accepts your session: log in again to see the schema.');
  if (!response.ok) throw new SchemaUnavailable(`The schema could not be loaded (HTTP ${response.status}).`);
  try {
    return buildSchema(await response.text());
  } catch (error) {
    throw new SchemaUnavailable(`The router's schema could not be read: ${(error as Error).message}`);
  }
}
