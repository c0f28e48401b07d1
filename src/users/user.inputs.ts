import { IsEmail, IsOptional, MaxLength, MinLength } from "class-validator";
import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";
import { UserRole } from "../graphql/enums.js";

@InputType({ description: "Lengths: name 200, email 320" })
export class CreateUserInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(320)
  @IsEmail()
  email?: string | null;

  @Field(() => UserRole)
  role!: UserRole;
}

@InputType({ description: "label at most 200 characters" })
export class IssueTokenInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  label?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  expiresAt?: Date | null;
}
