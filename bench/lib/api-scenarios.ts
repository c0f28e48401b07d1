import autocannon from "autocannon";
import type { SeededStory } from "./database.js";
import type { LoadResult } from "./measurement.js";

const FRONT_PAGE_SIZE = 20;

/** One request of a scenario: its body, and what to do with the data once the response is verified. */
interface Call {
  body: string;
  settle(data: Record<string, any> | null): void;
}

export interface ApiScenario {
  name: string;
  description: string;
  token?: string;
  next(): Call;
  /** Whether the data of a 2xx response without GraphQL errors is what the scenario asked for. */
  accept(data: Record<string, any>): boolean;
}

const FRONT_PAGE = /* GraphQL */ `
  query FrontPage { stories(first: ${FRONT_PAGE_SIZE}) { edges { node { id slug headline summary publishedAt } } } }
`;

const STORY_PAGE = /* GraphQL */ `
  query StoryPage($slug: String!) {
    story(slug: $slug) {
      id
      slug
      headline
      summary
      dateline
      credit
      publishedAt
      paragraphs {
        id
        position
        text
      }
      photos {
        id
        caption
        credit
        role
        position
        photo {
          id
          url
          altText
          caption
          credit
          takenAt
          location
          isFilePhoto
        }
      }
      attributions {
        id
        kind
        quote
        paragraph {
          id
        }
        source {
          id
          name
          title
          affiliation
          isAnonymous
        }
      }
    }
  }
`;

const SEARCH = /* GraphQL */ `
  query Search($query: String!) { searchStories(query: $query, first: ${FRONT_PAGE_SIZE}) { edges { node { id slug headline summary publishedAt } } } }
`;

// Every seeded story is the same AP text, so each of these matches all of them and ranks a full page.
const SEARCH_QUERIES = ["Russia", "military coordination", '"Islamic State"', "Soleimani drone strike", "reconnaissance planes"];

const UPDATE_STORY = /* GraphQL */ `
  mutation UpdateStory($id: ID!, $expectedVersion: Int!, $summary: String!) {
    updateStory(id: $id, expectedVersion: $expectedVersion, input: { summary: $summary }) {
      story {
        id
        version
      }
    }
  }
`;

const ignore = () => {};

function rotating<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

export function apiScenarios(stories: readonly SeededStory[], editorToken: string): ApiScenario[] {
  const pageSize = Math.min(FRONT_PAGE_SIZE, stories.length);
  const frontPageBody = JSON.stringify({ query: FRONT_PAGE });
  const nextSlug = rotating(stories.map((story) => story.slug));
  const nextQuery = rotating(SEARCH_QUERIES);

  // Each write takes a story no other connection is editing and gives it back with the version the
  // server answered, so expectedVersion is always current and a conflict is a real error.
  const idle = stories.map((story) => ({ id: story.id, version: story.version }));
  let edits = 0;

  return [
    {
      name: "front page",
      description: `stories(first: ${FRONT_PAGE_SIZE}) with id, slug, headline, summary, publishedAt; public`,
      next: () => ({ body: frontPageBody, settle: ignore }),
      accept: (data) =>
        data.stories?.edges?.length === pageSize && data.stories.edges.every((edge: any) => edge.node.headline && edge.node.summary),
    },
    {
      name: "story page",
      description: "story(slug) with paragraphs, photos, attributions and their sources; a different slug each request; public",
      next: () => ({ body: JSON.stringify({ query: STORY_PAGE, variables: { slug: nextSlug() } }), settle: ignore }),
      accept: (data) =>
        data.story?.paragraphs?.length > 0 &&
        data.story.photos.length > 0 &&
        data.story.attributions.length > 0 &&
        data.story.attributions.every((a: any) => a.source.name),
    },
    {
      name: "search",
      description: `searchStories(query, first: ${FRONT_PAGE_SIZE}), full-text ranked over every story; queries rotate; public`,
      next: () => ({ body: JSON.stringify({ query: SEARCH, variables: { query: nextQuery() } }), settle: ignore }),
      accept: (data) => data.searchStories?.edges?.length === pageSize,
    },
    {
      name: "update story",
      description: "updateStory(summary) with expectedVersion, each on a story no other request is editing; EDITOR token",
      token: editorToken,
      next: () => {
        const story = idle.shift();
        if (!story) throw new Error("the write scenario ran out of idle stories; seed more stories or use fewer connections");
        edits += 1;
        const body = JSON.stringify({
          query: UPDATE_STORY,
          variables: { id: story.id, expectedVersion: story.version, summary: `Benchmark edit ${edits}` },
        });
        return {
          body,
          settle: (data) => {
            // After a failure the version is unknown; the next edit of this story will say so as an error.
            if (data) story.version = data.updateStory.story.version;
            idle.push(story);
          },
        };
      },
      accept: (data) => typeof data.updateStory?.story?.version === "number",
    },
  ];
}

/** autocannon keeps one context per connection; with one request in flight per connection it holds that request's call. */
interface ConnectionContext {
  call?: Call;
}

/** Drives the scenario for `seconds` with autocannon and checks every response it gets. */
export async function runApiScenario(
  url: string,
  scenario: ApiScenario,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  let responses = 0;
  let invalid = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    method: "POST",
    headers: { "content-type": "application/json", ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}) },
    requests: [
      {
        setupRequest: (request, context) => {
          const call = scenario.next();
          (context as ConnectionContext).call = call;
          return { ...request, body: call.body };
        },
        onResponse: (status, body, context) => {
          responses += 1;
          let data: Record<string, any> | null = null;
          try {
            const parsed = JSON.parse(body);
            if (status >= 200 && status < 300 && !parsed.errors && parsed.data && scenario.accept(parsed.data)) data = parsed.data;
          } catch {
            // Not JSON: counted as invalid below.
          }
          if (!data) invalid += 1;
          (context as ConnectionContext).call?.settle(data);
        },
      },
    ],
  });
  return {
    requests: responses,
    seconds: result.duration,
    requestsPerSecond: responses / result.duration,
    latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    errors: { total: result.errors + invalid, connection: result.errors, invalid },
  };
}
