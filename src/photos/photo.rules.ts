import type { Prisma } from "../generated/prisma/client.js";
import { inReadableStoryWhere } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";

/** A photo as placed in a story (story_photos) is read with its story. */
export function readablePlacementsWhere(viewer: Viewer): Prisma.StoryPhotoWhereInput {
  return inReadableStoryWhere(viewer);
}

/** Staff read every photo, unplaced ones too; the public a photo once a story they may read shows it. */
export function readablePhotosWhere(viewer: Viewer): Prisma.PhotoWhereInput {
  return viewer ? {} : { stories: { some: readablePlacementsWhere(viewer) } };
}
