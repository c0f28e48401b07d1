import { parseArgs } from "node:util";
import { AppError } from "../src/errors.js";
import { openDatabaseOrExit } from "./cli.js";
import { issueTokenForName } from "../src/users/user.service.js";
import type { Role } from "../src/users/users.rules.js";

const ROLES: Role[] = ["REPORTER", "EDITOR", "ADMIN"];
const usage = 'usage: npm run token -- --role REPORTER|EDITOR|ADMIN --name "Jane Desk" [--label laptop]';

const { values } = parseArgs({
  options: { role: { type: "string" }, name: { type: "string" }, label: { type: "string" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const role = values.role?.toUpperCase() as Role | undefined;
if (!role || !ROLES.includes(role) || !values.name?.trim()) {
  console.error(`${!values.name?.trim() ? "--name is required" : `--role must be one of ${ROLES.join(", ")}`}\n${usage}`);
  process.exit(2);
}

const database = await openDatabaseOrExit();
try {
  const issued = await issueTokenForName(database.prisma, { name: values.name, role, label: values.label });
  console.log(`${issued.created ? "Created" : "Found"} ${issued.user.role} ${issued.user.name} (${issued.user.id}).`);
  console.log("Send it as: Authorization: Bearer <token>. It is shown only now; only its hash is stored.");
  console.log(issued.token);
} catch (error) {
  console.error(error instanceof AppError ? `${error.field}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
