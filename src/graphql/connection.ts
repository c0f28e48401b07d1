import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { Page } from "../db/pagination.js";

@ObjectType({ description: "Relay-style page information" })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` to read the next page" })
  endCursor!: string | null;
}

export interface ConnectionShape<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: PageInfo;
  /** A getter, so the count query runs only when a client selects totalCount. */
  readonly totalCount: Promise<number>;
}

/** A Relay connection type for one node type, with opaque cursors and a lazily counted total. */
export function Connection<Node extends object>(name: string, NodeType: ClassType<Node>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => NodeType)
    node!: Node;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<Node> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "How many items the whole list holds, ignoring paging" })
    totalCount!: Promise<number>;
  }
  return ConnectionType;
}

export function toConnection<Row, Node>(
  page: Page<Row>,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
): ConnectionShape<Node> {
  return {
    edges: page.nodes.map((row, i) => ({ cursor: page.cursors[i]!, node: toNode(row) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    get totalCount() {
      return page.totalCount();
    },
  };
}
