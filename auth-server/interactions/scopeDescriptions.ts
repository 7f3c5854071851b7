/**
 * What each demo scope lets the application do for the user, shown beside it on the scope
 * choice page. A scope an extra audience adds has none (its name is shown alone). The subgraph's
 * own role table still decides: a scope lets a token carry the right, not have it.
 */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'accounts:read': "Read accounts: your own birthday, and others' where your role allows",
  'products:read': 'Read the product catalog',
  'products:write': 'Change product prices (the pricing-admin role in products decides)',
  'inventory:read': 'Read whether products are in stock',
  'inventory:write': 'Set whether products are in stock (the clerk role in inventory decides)',
  'reviews:read': 'Read reviews, your own drafts included',
  'reviews:write': 'Write reviews in your name (the reviewer role in reviews decides)',
  'trace:read': 'See the delegation trace of your queries',
};
