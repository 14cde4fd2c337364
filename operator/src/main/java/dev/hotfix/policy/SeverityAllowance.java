package dev.hotfix.policy;

/**
 * What one severity may do, every field resolved (the policy's value or the built-in default).
 *
 * @param allowed whether it may ship as a hot fix at all
 * @param approvals how many distinct approvers other than the requester must approve first
 * @param reviewAfter whether it is flagged for review after it ships (break-glass)
 * @param maintenanceWindowOnly whether it ships only inside a maintenance window
 */
public record SeverityAllowance(boolean allowed, int approvals, boolean reviewAfter, boolean maintenanceWindowOnly) {
}
