import type { Prisma } from "../generated/prisma/client.js";
import { inReadableBodyWhere } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";

/** A photo as placed in a story (story_photos) is part of its body: read with the story, unless retracted. */
export function readablePlacementsWhere(viewer: Viewer): Prisma.StoryPhotoWhereInput {
  return inReadableBodyWhere(viewer);
}

/** Staff read every photo, unplaced ones too; the public a photo once a story they may read shows it. */
export function readablePhotosWhere(viewer: Viewer): Prisma.PhotoWhereInput {
  return viewer ? {} : { stories: { some: readablePlacementsWhere(viewer) } };
}
