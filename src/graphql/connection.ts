import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { ListCount, Page } from "../db/pagination.js";

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
  /** Getters, so the count runs only when a client selects totalCount or totalCountIsExact, and once for both. */
  readonly totalCount: Promise<number>;
  readonly totalCountIsExact: Promise<boolean>;
}

/**
 * A Relay connection type for one node type, with opaque cursors and a lazily counted total.
 * `totalCount` says how the list's items are counted: exactly, or up to a cap.
 */
export function Connection<Node extends object>(name: string, NodeType: ClassType<Node>, counting: { totalCount: string }) {
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

    @Field(() => Int, { description: counting.totalCount })
    totalCount!: Promise<number>;

    @Field(() => Boolean, { description: "False when totalCount stopped at its cap: the list holds more than totalCount says" })
    totalCountIsExact!: Promise<boolean>;
  }
  return ConnectionType;
}

export function toConnection<Row, Node>(
  page: Page<Row>,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
): ConnectionShape<Node> {
  let counted: Promise<ListCount> | undefined;
  const count = () => (counted ??= page.count());
  return {
    edges: page.nodes.map((row, i) => ({ cursor: page.cursors[i]!, node: toNode(row) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    get totalCount() {
      return count().then((list) => list.total);
    },
    get totalCountIsExact() {
      return count().then((list) => list.exact);
    },
  };
}
