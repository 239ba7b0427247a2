"""moto's server exactly as moto_server runs it (the same options), with three differences: DynamoDB's
requests are answered one at a time, SNS matches MessageBody filter policies with "$or" as SNS does, and
SNS delivers a message to every subscription of its topic.

DynamoDB evaluates a write's condition and makes the write as one step. moto's DynamoDB reads the item,
evaluates the condition and then writes, with no lock, in a threaded server (moto/dynamodb/models/table.py,
put_item), so two conditional writes racing on one key can both pass: a claim taken twice, a counter
incremented once for two. Answering DynamoDB's requests one at a time gives its conditions DynamoDB's
meaning; every other service (SQS's long polls above all) is still answered concurrently.

moto's SNS takes a MessageBody policy's "$or" for a field and matches its branches as message attributes,
which raises, and so does a string operator meeting a number: either fails the whole Publish with a 500, and
a stage's fan-out retries it for ever. Here the policy is matched branch by branch ({"$or": [a, b]} as a or b,
what else the policy says added to each), and a branch moto cannot evaluate on a message does not match it,
as SNS documents for a value of another type (docs/aws.md lists what moto still does otherwise).

moto's Topic.publish delivers to the first page of the topic's subscriptions only (the 100 that
ListSubscriptionsByTopic returns first): the 101st river of a topic never receives anything. Here it
delivers to all of them, as SNS does (a topic holds 200 filtered subscriptions by default).
"""
import threading

import moto.server
from moto.sns import models as sns_models
from moto.sns import utils as sns_utils

DYNAMODB_TARGETS = ("DynamoDB_", "DynamoDBStreams_")


class OneDynamoDbRequestAtATime:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith(DYNAMODB_TARGETS):
            with self.lock:
                # the whole answer is made under the lock: a lazily made body would write after release
                return list(self.app(environ, start_response))
        return self.app(environ, start_response)


def run_simple_one_dynamodb_request_at_a_time(host, port, app, **options):
    return serve(host, port, OneDynamoDbRequestAtATime(app), **options)


def merged(a, b):
    out = dict(a)
    for key, value in b.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def branches(policy):
    """The policy as policies without "$or", any of which it matches when it matches."""
    if not isinstance(policy, dict):
        return [policy]
    alternatives = policy.get("$or")
    expanded = [{}]
    for key, value in policy.items():
        if key == "$or" and isinstance(alternatives, list) and len(alternatives) >= 2:
            continue
        options = branches(value) if isinstance(value, dict) else [value]
        expanded = [merged(e, {key: o}) for e in expanded for o in options]
    if isinstance(alternatives, list) and len(alternatives) >= 2 and all(isinstance(b, dict) for b in alternatives):
        expanded = [merged(e, b) for e in expanded for alternative in alternatives for b in branches(alternative)]
    return expanded


def body_based_match(self, message_dict):
    for branch in branches(self.filter_policy):
        try:
            if self._perform_body_checks(self._compute_body_checks(branch, message_dict)):
                return True
        except Exception:  # a key the message lacks, or a value moto cannot compare: this branch does not match
            continue
    return False


sns_utils.FilterPolicyMatcher._body_based_match = body_based_match


def publish_to_every_subscription(self, message, subject=None, message_attributes=None, group_id=None,
                                  deduplication_id=None, message_structure=None):
    message_id = str(sns_models.mock_random.uuid4())
    for subscription in self.sns_backend._get_topic_subscriptions(self):
        subscription.publish(message, message_id, subject=subject, message_attributes=message_attributes,
                             group_id=group_id, deduplication_id=deduplication_id, message_structure=message_structure)
    self.sent_notifications.append((message_id, message, subject, message_attributes, group_id))
    return message_id


sns_models.Topic.publish = publish_to_every_subscription

serve = moto.server.run_simple
moto.server.run_simple = run_simple_one_dynamodb_request_at_a_time

if __name__ == "__main__":
    moto.server.main()
