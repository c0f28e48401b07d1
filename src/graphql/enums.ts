import { registerEnumType } from "type-graphql";
import {
  AttributionKind,
  AttributionMethod,
  PhotoRole,
  SourceKind,
  SourcingTerms,
  StoryStatus,
  UserRole,
} from "../generated/prisma/client.js";

registerEnumType(StoryStatus, { name: "StoryStatus", description: "Where a story stands in the publishing workflow" });
registerEnumType(UserRole, { name: "UserRole" });
registerEnumType(SourceKind, { name: "SourceKind" });
registerEnumType(SourcingTerms, { name: "SourcingTerms", description: "The terms the source agreed to" });
registerEnumType(AttributionKind, { name: "AttributionKind" });
registerEnumType(AttributionMethod, { name: "AttributionMethod", description: "How the material reached the newsroom" });
registerEnumType(PhotoRole, { name: "PhotoRole" });

export { AttributionKind, AttributionMethod, PhotoRole, SourceKind, SourcingTerms, StoryStatus, UserRole };
