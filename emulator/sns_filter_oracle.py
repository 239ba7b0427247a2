"""moto's SNS filter-policy matcher as an oracle for the embedded router's (FilterDifferentialIT).

One JSON document per line on standard input: {"policy": {...}, "bodies": ["...", ...]}; one per line back:
{"valid": true|"why", "matches": [...], "branches": [...]}. moto validates the policy as its SetSubscriptionAttributes
would (MessageBody scope) and matches each body as its publish would ("matches": true, false, or "error: ..." where
moto raises); "branches" matches each body against each branch of a $or alone, one that raises counting as no
match (moto raises where a string operator meets a value that is no string, which SNS documents as no match).
"""
import json
import sys

from moto.sns.models import SNSBackend
from moto.sns.utils import FilterPolicyMatcher


def branch_match(matcher, body):
    try:
        return bool(matcher.matches(None, body))
    except Exception:
        return False


def main():
    backend = SNSBackend("us-east-1", "123456789012")
    for line in sys.stdin:
        case = json.loads(line)
        policy = case["policy"]
        try:
            backend._validate_filter_policy(policy, scope="MessageBody")
            valid = True
        except Exception as refused:  # moto's own words for what SNS would refuse
            valid = str(refused)
        matcher = FilterPolicyMatcher(policy, "MessageBody")
        branches = [FilterPolicyMatcher(b, "MessageBody") for b in policy.get("$or", [policy])]
        matches = []
        by_branch = []
        for body in case["bodies"]:
            try:
                matches.append(bool(matcher.matches(None, body)))
            except Exception as failed:
                matches.append("error: " + type(failed).__name__ + ": " + str(failed))
            by_branch.append(any(branch_match(b, body) for b in branches))
        sys.stdout.write(json.dumps({"valid": valid, "matches": matches, "branches": by_branch}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
