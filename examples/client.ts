/**
 * A small typed client for the newsroom API, as a frontend or editor tool would write one. The
 * documents and their result types come from `npm run codegen` (examples/operations → generated),
 * so a query that drifts from the schema fails the build instead of the page.
 */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print } from "graphql";
import {
  CreateStoryDocument,
  FrontPageDocument,
  PublishStoryDocument,
  SearchStoriesDocument,
  StoryPageDocument,
  SubmitStoryForReviewDocument,
  UpdateStoryDocument,
  ViewerDocument,
  type CreateStoryInput,
  type FrontPageQueryVariables,
  type PublishStoryMutation,
  type SearchStoriesQueryVariables,
  type StoryListFragment,
  type StoryPageQuery,
  type UpdateStoryInput,
  type ViewerQuery,
} from "./generated/graphql.js";

export interface NewsroomClientOptions {
  url: string;
  /** A staff token; without one the client sees what the public sees. */
  token?: string;
}

export interface NewsroomClient {
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult>;
}

export interface NewsroomGraphQLError {
  message: string;
  /** extensions.code, e.g. UNAUTHENTICATED, FORBIDDEN, CONFLICT: what a UI branches on */
  code?: string;
  path?: (string | number)[];
}

export class NewsroomRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: NewsroomGraphQLError[],
  ) {
    super(`${operation} failed: ${errors.map((error) => (error.code ? `${error.message} [${error.code}]` : error.message)).join("; ")}`);
    this.name = "NewsroomRequestError";
  }
}

interface WireResponse<TResult> {
  data?: TResult | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: unknown } }[];
}

export function createNewsroomClient({ url, token }: NewsroomClientOptions): NewsroomClient {
  return {
    async request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
      // Sent along so the server's logs and traces can tell operations apart.
      const operationName = getOperationAST(document)?.name?.value;
      const label = operationName ?? "GraphQL request";
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(document), variables, operationName }),
      });
      // GraphQL errors arrive with 200 or 4xx alike; only a body without JSON is a transport failure.
      const body = (await response.json().catch(() => {
        throw new Error(`${label}: HTTP ${response.status} ${response.statusText}, and the body is not JSON`);
      })) as WireResponse<TResult>;
      if (body.errors?.length) {
        throw new NewsroomRequestError(
          label,
          response.status,
          body.errors.map(({ message, path, extensions }) => ({
            message,
            ...(typeof extensions?.code === "string" ? { code: extensions.code } : {}),
            ...(path ? { path } : {}),
          })),
        );
      }
      if (body.data == null) throw new Error(`${label}: HTTP ${response.status} with neither data nor errors`);
      return body.data;
    },
  };
}

export async function frontPage(client: NewsroomClient, page: FrontPageQueryVariables = {}): Promise<StoryListFragment> {
  return (await client.request(FrontPageDocument, page)).stories;
}

/** The article page's data; null when there is no such story or it is not published. */
export async function storyPage(client: NewsroomClient, slug: string): Promise<StoryPageQuery["story"]> {
  return (await client.request(StoryPageDocument, { slug })).story;
}

export async function searchStories(
  client: NewsroomClient,
  query: string,
  page: Omit<SearchStoriesQueryVariables, "query"> = {},
): Promise<StoryListFragment> {
  return (await client.request(SearchStoriesDocument, { ...page, query })).searchStories;
}

/** The signed-in user, or null for the public. */
export async function viewer(client: NewsroomClient): Promise<ViewerQuery["viewer"]> {
  return (await client.request(ViewerDocument, {})).viewer;
}

/** The schema allows a payload without its story; after a step that succeeded, that is a server fault. */
function storyOf<Story>(step: string, payload: { story: Story | null }): Story {
  if (!payload.story) throw new Error(`${step} succeeded but returned no story`);
  return payload.story;
}

export type PublishedStory = NonNullable<PublishStoryMutation["publishStory"]["story"]> & { slug: string };

/**
 * A story's way from a reporter's draft to the front page: the reporter writes, optionally
 * revises and submits it; an editor publishes it. Each step sends the version the previous step
 * returned, as the editor tool must.
 */
export async function runEditorialFlow(
  desk: { reporter: NewsroomClient; editor: NewsroomClient },
  copy: { draft: CreateStoryInput; revision?: UpdateStoryInput },
): Promise<PublishedStory> {
  const created = storyOf("createStory", (await desk.reporter.request(CreateStoryDocument, { input: copy.draft })).createStory);
  let current: { id: string; version: number } = created;
  if (copy.revision) {
    const variables = { id: current.id, expectedVersion: current.version, input: copy.revision };
    current = storyOf("updateStory", (await desk.reporter.request(UpdateStoryDocument, variables)).updateStory);
  }
  const submitted = storyOf(
    "submitStoryForReview",
    (await desk.reporter.request(SubmitStoryForReviewDocument, { id: current.id, expectedVersion: current.version })).submitStoryForReview,
  );
  const published = storyOf(
    "publishStory",
    (await desk.editor.request(PublishStoryDocument, { id: submitted.id, expectedVersion: submitted.version })).publishStory,
  );
  return { ...published, slug: created.slug };
}
