import type { FieldKind, NodeType } from "./fields";

/** Field catalogues per Graph node type (what `fields=` may name; unknown names → code 100). */

const scalars = (...names: string[]): Record<string, FieldKind> => Object.fromEntries(names.map((n) => [n, "scalar" as const]));

export const NODE_TYPES: Record<string, NodeType> = {
  User: {
    name: "User",
    fields: {
      ...scalars("id", "name", "first_name", "last_name", "middle_name", "short_name", "name_format", "email", "picture", "link"),
    },
    defaults: ["name", "id"],
  },
  AdAccount: {
    name: "AdAccount",
    fields: {
      ...scalars(
        "id",
        "account_id",
        "name",
        "account_status",
        "disable_reason",
        "currency",
        "timezone_name",
        "timezone_offset_hours_utc",
        "timezone_id",
        "amount_spent",
        "balance",
        "spend_cap",
        "owner",
        "user_tasks",
        "permitted_tasks",
        "created_time",
        "is_personal",
        "age",
        "business_name",
        "min_daily_budget",
        "capabilities",
      ),
      business: { object: "Business" },
    },
    defaults: ["account_id", "id"],
  },
  Business: {
    name: "Business",
    fields: { ...scalars("id", "name", "verification_status", "created_time", "timezone_id", "link", "vertical") },
    defaults: ["id", "name"],
  },
  Page: {
    name: "Page",
    fields: {
      ...scalars("id", "name", "category", "category_list", "access_token", "tasks", "fan_count", "followers_count", "link", "username", "picture"),
      instagram_business_account: { object: "IGUser" },
      connected_instagram_account: { object: "IGUser" },
    },
    defaults: ["id", "name"],
  },
  PageListItem: {
    name: "Page",
    fields: {
      ...scalars("id", "name", "category", "category_list", "access_token", "tasks", "fan_count", "followers_count", "link", "username", "picture"),
      instagram_business_account: { object: "IGUser" },
      connected_instagram_account: { object: "IGUser" },
    },
    defaults: ["access_token", "category", "category_list", "name", "id", "tasks"],
  },
  IGUser: {
    name: "IGUser",
    fields: { ...scalars("id", "username", "name", "profile_picture_url", "followers_count", "follows_count", "media_count", "biography", "ig_id") },
    defaults: ["id"],
  },
  AdReportRun: {
    name: "AdReportRun",
    fields: {
      ...scalars(
        "id",
        "account_id",
        "async_status",
        "async_percent_completion",
        "date_start",
        "date_stop",
        "time_ref",
        "time_completed",
        "is_running",
        "is_bookmarked",
        "error_code",
      ),
    },
    defaults: ["id", "account_id", "async_status", "async_percent_completion", "date_start", "date_stop", "time_ref", "time_completed", "is_running"],
  },
  Post: {
    name: "Post",
    fields: {
      ...scalars(
        "id",
        "message",
        "created_time",
        "updated_time",
        "link",
        "permalink_url",
        "full_picture",
        "is_published",
        "scheduled_publish_time",
        "status_type",
        "from",
      ),
    },
    defaults: ["created_time", "message", "id"],
  },
  IGMedia: {
    name: "IGMedia",
    fields: {
      ...scalars(
        "id",
        "caption",
        "media_type",
        "media_product_type",
        "media_url",
        "permalink",
        "shortcode",
        "timestamp",
        "username",
        "like_count",
        "comments_count",
        "is_comment_enabled",
      ),
    },
    defaults: ["id"],
  },
  IGMediaContainer: {
    name: "ShadowIGMediaBuilder",
    fields: { ...scalars("id", "status_code", "status", "copyright_check_status") },
    defaults: ["id"],
  },
};
