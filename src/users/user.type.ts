import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { UserRole } from "../graphql/enums.js";

@ObjectType("User")
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class UserPayload {
  @Field(() => UserType, { nullable: true })
  user!: UserType | null;
}

@ObjectType({ description: "The token is shown once; only its hash is stored" })
export class IssueTokenPayload {
  @Field(() => UserType)
  user!: UserType;

  @Field(() => String)
  token!: string;
}
