/**
 * The emulator's own SDL: a hand-written subset of monday.com's API (2026-10) with the same
 * type, field and argument names and types. test/emulator checks it against the real schema.
 */

/** The SDL the emulator executes. */
export const EMULATOR_SDL = /* GraphQL */ `
scalar JSON
scalar Date
scalar CompareValue

enum State { active all archived deleted }
enum BoardKind { private public share }
enum BoardObjectType { board sub_items_board }
enum ColumnType { checkbox date dropdown email link long_text name numbers phone status subtasks text timeline }
enum PositionRelative { after_at before_at }
enum ItemsQueryOperator { and or }
enum ItemsQueryRuleOperator {
  any_of not_any_of is_empty is_not_empty contains_text not_contains_text starts_with ends_with
  greater_than greater_than_or_equals lower_than lower_than_or_equal between
}
enum ItemsOrderByDirection { asc desc }
enum VersionKind { current deprecated maintenance previous_maintenance release_candidate }

type Query {
  boards(ids: [ID!], limit: Int = 25, page: Int = 1, state: State = active): [Board]
  items(ids: [ID!], limit: Int = 25, page: Int = 1, exclude_nonactive: Boolean): [Item]
  next_items_page(cursor: String!, limit: Int! = 25): ItemsResponse!
  items_page_by_column_values(board_id: ID!, columns: [ItemsPageByColumnValuesQuery!], cursor: String, limit: Int! = 25): ItemsResponse!
  complexity: Complexity
  me: User
  version: Version!
  versions: [Version!]
}

type Mutation {
  complexity: Complexity
  create_group(board_id: ID!, group_name: String!, group_color: String, relative_to: String, position_relative_method: PositionRelative): Group
  create_item(board_id: ID!, item_name: String!, group_id: String, column_values: JSON, create_labels_if_missing: Boolean): Item
  create_subitem(parent_item_id: ID!, item_name: String!, column_values: JSON, create_labels_if_missing: Boolean): Item
  change_multiple_column_values(board_id: ID!, item_id: ID, column_values: JSON!, create_labels_if_missing: Boolean): Item
  change_column_value(board_id: ID!, item_id: ID, column_id: String!, value: JSON!, create_labels_if_missing: Boolean): Item
  change_simple_column_value(board_id: ID!, item_id: ID, column_id: String!, value: String, create_labels_if_missing: Boolean): Item
  move_item_to_group(item_id: ID, group_id: String!): Item
  archive_item(item_id: ID): Item
  delete_item(item_id: ID): Item
  archive_group(board_id: ID!, group_id: String!): Group
  delete_group(board_id: ID!, group_id: String!): Group
}

type User {
  id: ID!
  name: String!
  email: String!
}

type Version {
  display_name: String!
  kind: VersionKind!
  value: String!
}

type Complexity {
  before: Int!
  after: Int!
  query: Int!
  reset_in_x_seconds: Int!
}

type Board {
  id: ID!
  name: String!
  type: BoardObjectType
  state: State!
  board_kind: BoardKind!
  items_count: Int
  items_limit: Int
  top_group: Group!
  columns(ids: [String], types: [ColumnType!]): [Column]
  groups(ids: [String]): [Group]
  items_page(limit: Int! = 25, cursor: String, query_params: ItemsQuery): ItemsResponse!
}

type Group {
  id: ID!
  title: String!
  color: String!
  position: String!
  archived: Boolean
  deleted: Boolean
  items_page(limit: Int! = 25, cursor: String, query_params: ItemsQuery): ItemsResponse!
}

type Column {
  id: ID!
  title: String!
  type: ColumnType!
  archived: Boolean!
  description: String
  settings: JSON
  settings_str: String!
}

type Item {
  id: ID!
  name: String!
  state: State
  created_at: Date
  updated_at: Date
  creator_id: String!
  creator: User
  board: Board
  group: Group
  parent_item: Item
  subitems: [Item]
  column_values(ids: [String!], types: [ColumnType!]): [ColumnValue!]!
}

type ItemsResponse {
  cursor: String
  items: [Item!]!
}

input ItemsPageByColumnValuesQuery {
  column_id: String!
  column_values: [String]!
}

input ItemsQuery {
  ids: [ID!]
  rules: [ItemsQueryRule!]
  groups: [ItemsQueryGroup!]
  operator: ItemsQueryOperator = and
  order_by: [ItemsQueryOrderBy!]
}

input ItemsQueryOrderBy {
  column_id: String!
  direction: ItemsOrderByDirection = asc
}

input ItemsQueryGroup {
  rules: [ItemsQueryRule!]
  groups: [ItemsQueryGroup!]
  operator: ItemsQueryOperator = and
}

input ItemsQueryRule {
  column_id: ID!
  compare_value: CompareValue!
  compare_attribute: String
  operator: ItemsQueryRuleOperator = any_of
}

type DropdownValueOption {
  id: ID!
  label: String!
}

interface ColumnValue {
  id: ID!
  text: String
  type: ColumnType!
  value: JSON
  column: Column!
  is_leaf: Boolean!
}

type TextValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! }
type LongTextValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! }
type NumbersValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! number: Float }
type StatusValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! index: Int label: String }
type DropdownValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! values: [DropdownValueOption!]! }
type DateValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! date: String time: String }
type CheckboxValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! checked: Boolean }
type EmailValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! email: String label: String }
type LinkValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! url: String url_text: String }
type PhoneValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! phone: String country_short_name: String }
type TimelineValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! from: Date to: Date }
type SubtasksValue implements ColumnValue { id: ID! text: String type: ColumnType! value: JSON column: Column! is_leaf: Boolean! display_value: String! subitems_ids: [ID!]! }
`;
