import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";

/** The query string of a request's URL, "?query=..." or "", as Apollo reads GET parameters from it. */
export const queryStringOf = (url: string) => {
  const start = url.indexOf("?");
  return start === -1 ? "" : url.slice(start);
};

const expressRequests = new WeakMap<HTTPGraphQLRequest, Request>();

/** The express request an Apollo request came from, for plugins that keep state per HTTP request. */
export const expressRequestOf = (http: HTTPGraphQLRequest | undefined): Request | undefined => http && expressRequests.get(http);

export interface ExpressHandlerOptions<Context> {
  context(req: Request, res: Response): Promise<Context>;
  /** Sees Apollo's finished answer, its headers already set on res, before it is written. */
  beforeSend(req: Request, res: Response, answer: HTTPGraphQLResponse): void;
}

/**
 * GraphQL over express through Apollo, as @as-integrations/express5 does it, with one difference:
 * the answer passes through beforeSend before it is written, so that the response cache can store
 * it exactly as it goes out and set the headers that say who else may keep it.
 */
export function graphqlOverExpress<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  options: ExpressHandlerOptions<Context>,
): RequestHandler {
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: queryStringOf(req.url),
      body: req.body,
    };
    expressRequests.set(httpGraphQLRequest, req);
    const answer = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => options.context(req, res) });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    options.beforeSend(req, res, answer);
    if (answer.body.kind === "complete") {
      res.send(answer.body.string);
      return;
    }
    // Incremental delivery (@defer), which graphql 16 does not execute, would come in parts.
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
