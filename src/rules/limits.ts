/**
 * ALB limits the rule table and the runtime enforce. Where two AWS pages disagree the lower number
 * is kept (spec/alb.md §6 #6), so a table that passes here also deploys.
 */

/** https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html (spec/alb.md §1.1) */
export const PRIORITY_MIN = 1
/** https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html (spec/alb.md §1.1) */
export const PRIORITY_MAX = 50_000

/**
 * Comparison strings per condition.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 * (spec/alb.md §1.4; source-ip's API page says 5, 3 is the safe cap, §6 #6)
 */
export const VALUES_PER_CONDITION = 3
/**
 * Comparison strings per rule, summed over its conditions.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * (spec/alb.md §1.4)
 */
export const VALUES_PER_RULE = 5
/**
 * `*` and `?` per rule: 5 on the condition-types page, 6 on the quotas page; 5 is kept.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 * (spec/alb.md §1.4, §6 #6)
 */
export const WILDCARDS_PER_RULE = 5
/**
 * Host, path, header value, query key, query value and regex value length.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_PathPatternConditionConfig.html
 * (spec/alb.md §1.4)
 */
export const VALUE_MAX_LENGTH = 128
/** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html (spec/alb.md §2.2) */
export const HEADER_NAME_MAX_LENGTH = 40
/** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpRequestMethodConditionConfig.html (spec/alb.md §2.3) */
export const METHOD_MAX_LENGTH = 40
/**
 * Rules per load balancer, default rules excluded, summed over listeners (adjustable quota).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * (spec/alb.md §1.5)
 */
export const RULES_PER_LOAD_BALANCER = 100
/** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html (spec/alb.md §1.6) */
export const FIXED_RESPONSE_BODY_MAX = 1024
/**
 * "1 MB" request body; decimal because AWS does not say which (spec/alb.md §6 #15).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
 */
export const REQUEST_BODY_MAX_BYTES = 1_000_000
/**
 * "1 MB" response JSON; decimal because AWS does not say which (spec/alb.md §6 #15).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
 */
export const RESPONSE_MAX_BYTES = 1_000_000
/**
 * More X-Forwarded-For addresses than this and ALB answers 463 (spec/alb.md §4).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html
 */
export const XFF_MAX_ADDRESSES = 30
