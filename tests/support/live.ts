import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type FormattedExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { waitUntil } from "./wait.js";

/** How a live connection ended: the WebSocket close code and reason the server sent. */
export interface Closed {
  code: number;
  reason: string;
}

/** What one subscription has received so far, as any graphql-ws client would. */
export interface Received<Data> {
  results: FormattedExecutionResult<Data>[];
  /** When each result arrived (performance.now()), for latencies a test prints. */
  arrivals: number[];
  /** The data of every result that had some, in order. */
  data(): Data[];
  /** Set when the server sent an error message or the connection failed. */
  error: unknown;
  completed: boolean;
  /** Waits until the results hold one that matches, and returns it; bounded for a hang, never a measure of speed. */
  waitFor(matches: (data: Data) => boolean, what: string, timeoutMs?: number): Promise<Data>;
  /** Ends the subscription (a complete message). */
  stop(): void;
}

export interface LiveClient {
  subscribe<Data, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Received<Data>;
  /** The WebSocket under the client once it has connected (ws's client, whose pause() stops reading). */
  socket(): WebSocket | undefined;
  /** Resolves with the close code once the connection has closed. */
  closed: Promise<Closed>;
  dispose(): Promise<void>;
}

const WAIT_MS = 60_000;

/**
 * A graphql-ws client on the API's GraphQL URL (ws: instead of http:), authenticated with a token
 * in connection_init as a frontend would be; without one it is the public. It never reconnects,
 * so a test sees every close the server decides.
 */
export function liveClient(httpUrl: string, token?: string): LiveClient {
  const sockets: WebSocket[] = [];
  // Keeps each socket the client opens, so that a test can stop reading from it.
  class KeptWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  let closedWith: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (closedWith = resolve));
  const client: Client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: KeptWebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string | Buffer };
        closedWith({ code, reason: String(reason) });
      },
    },
  });
  return {
    subscribe(document, variables) {
      const results: FormattedExecutionResult<any>[] = [];
      const arrivals: number[] = [];
      const received: Received<any> = {
        results,
        arrivals,
        data: () => results.flatMap((result) => (result.data ? [result.data] : [])),
        error: undefined,
        completed: false,
        async waitFor(matches, what, timeoutMs = WAIT_MS) {
          let found: unknown;
          await waitUntil(
            () => {
              found = received.data().find(matches);
              return found !== undefined || received.error !== undefined || received.completed;
            },
            what,
            timeoutMs,
          );
          if (found === undefined) {
            throw new Error(`${what}: the subscription ended first: ${JSON.stringify(received.error ?? results)}`);
          }
          return found;
        },
        stop: () => unsubscribe(),
      };
      const unsubscribe = client.subscribe(
        { query: print(document), variables },
        {
          next: (result) => {
            arrivals.push(performance.now());
            results.push(result as FormattedExecutionResult<any>);
          },
          error: (error) => (received.error = error ?? "error"),
          complete: () => (received.completed = true),
        },
      );
      return received;
    },
    socket: () => sockets.at(-1),
    closed,
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Waits until the server has put in place as many subscriptions as expected, so that no change made next is missed. */
export async function subscriptionsInPlace(api: { liveSubscriptions(): number }, count: number): Promise<void> {
  await waitUntil(() => api.liveSubscriptions() >= count, `${count} live subscriptions on the server`, WAIT_MS);
}
