import type { ApolloServerPlugin } from "@apollo/server";
import { badRequest, toGraphQLError } from "../errors.js";

/**
 * HTTP serves queries and mutations; a subscription needs a connection that stays open. Without
 * this, graphql executes one anyway and fails with an internal error. The WebSocket transport that
 * is to serve subscriptions on the same path runs operations itself, outside Apollo's HTTP request
 * pipeline, so this refusal stays as it is when it comes. (Over GET, Apollo refuses anything but
 * a query before this runs.)
 */
export function refuseSubscriptionsOverHttp(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== "subscription") return;
          throw toGraphQLError(
            badRequest("Subscriptions are not served over HTTP POST or GET; send queries and mutations here", {
              reason: "SUBSCRIPTION_OVER_HTTP",
            }),
          );
        },
      };
    },
  };
}
