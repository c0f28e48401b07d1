import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { Access } from "../graphql/access.js";
import { CreateUserInput, IssueTokenInput } from "./user.inputs.js";
import * as users from "./user.service.js";
import { IssueTokenPayload, UserPayload, UserType } from "./user.type.js";

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { nullable: true, description: "The signed-in user; null for the public" })
  @Access("PUBLIC")
  viewer(@Ctx() ctx: RequestContext) {
    return users.viewerUser(ctx);
  }

  @Mutation(() => UserPayload)
  @Access("ADMIN")
  async createUser(@Ctx() ctx: RequestContext, @Arg("input", () => CreateUserInput) input: CreateUserInput) {
    return { user: await users.createUser(ctx, input) };
  }

  @Mutation(() => IssueTokenPayload, { description: "The token is in the answer once and never again" })
  @Access("ADMIN")
  issueToken(@Ctx() ctx: RequestContext, @Arg("input", () => IssueTokenInput) input: IssueTokenInput) {
    return users.issueToken(ctx, input);
  }

  @Mutation(() => Int, { description: "Revokes all live tokens of a user; returns how many" })
  @Access("ADMIN")
  revokeTokens(@Ctx() ctx: RequestContext, @Arg("userId", () => ID) userId: string) {
    return users.revokeTokens(ctx, userId);
  }
}
