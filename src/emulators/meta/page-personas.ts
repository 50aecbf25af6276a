import { ig, page } from "./persona-ids";
import type { PageSpec } from "./personas";

/**
 * The Pages of the personas built for Pages, Instagram and publishing (`publisher`, `creator`):
 * several Pages each, with and without an Instagram business account, with and without a
 * publishing task, one Page the dialog shows unticked, one reached only through a business. Their Pages all belong to a business, so a Page the
 * user did not tick stays visible through `/{business}/owned_pages` (as on Meta) while
 * `/me/accounts` and `debug_token` leave it out.
 */

export const ADMIN_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"];
export const EDITOR_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE"];
/** Analyst + moderator: may read and moderate, may not publish. */
export const NO_PUBLISH_TASKS = ["ANALYZE", "MODERATE"];

/** Parker Publisher's Pages (business Harbor Goods Co.; the fifth is one of its client Pages). */
export function publisherPages(p: number): PageSpec[] {
  return [
    {
      id: page(p, 1),
      name: "Harbor Coffee",
      category: "Coffee Shop",
      categoryId: "1644",
      tasks: ADMIN_TASKS,
      instagram: { id: ig(p, 1), username: "harborcoffee", name: "Harbor Coffee", followers: 5400, media: 212 },
    },
    { id: page(p, 2), name: "Harbor Bookshop", category: "Book Store", categoryId: "2233", tasks: EDITOR_TASKS },
    {
      id: page(p, 3),
      name: "Harbor Gallery",
      category: "Art Gallery",
      categoryId: "2240",
      tasks: NO_PUBLISH_TASKS,
      instagram: { id: ig(p, 3), username: "harborgallery", name: "Harbor Gallery", followers: 860, media: 45 },
    },
    {
      id: page(p, 4),
      name: "Harbor Market",
      category: "Farmers Market",
      categoryId: "1601",
      tasks: ADMIN_TASKS,
      instagram: { id: ig(p, 4), username: "harbormarket", name: "Harbor Market", followers: 3100, media: 98 },
      grantedByDefault: false,
    },
    {
      id: page(p, 5),
      name: "Harbor Studio",
      category: "Photography Videography",
      categoryId: "2239",
      tasks: ADMIN_TASKS,
      instagram: { id: ig(p, 5), username: "harborstudio", name: "Harbor Studio", followers: 2300, media: 120 },
      businessOnly: true,
    },
  ];
}

/** Casey Creator's three Pages, all ticked by default, one with Instagram. */
export function creatorPages(p: number): PageSpec[] {
  return [
    {
      id: page(p, 1),
      name: "Casey Cooks",
      category: "Chef",
      categoryId: "1300",
      tasks: ADMIN_TASKS,
      instagram: { id: ig(p, 1), username: "caseycooks", name: "Casey Cooks", followers: 12800, media: 340 },
    },
    { id: page(p, 2), name: "Casey Travels", category: "Travel Company", categoryId: "1308", tasks: ADMIN_TASKS },
    { id: page(p, 3), name: "Casey Crafts", category: "Arts & Crafts Store", categoryId: "1309", tasks: EDITOR_TASKS },
  ];
}
