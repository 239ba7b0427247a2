"""moto's server exactly as moto_server runs it (the same options), with one difference: DynamoDB's
requests are answered one at a time.

DynamoDB evaluates a write's condition and makes the write as one step. moto's DynamoDB reads the item,
evaluates the condition and then writes, with no lock, in a threaded server (moto/dynamodb/models/table.py,
put_item), so two conditional writes racing on one key can both pass: a claim taken twice, a counter
incremented once for two. Answering DynamoDB's requests one at a time gives its conditions DynamoDB's
meaning; every other service (SQS's long polls above all) is still answered concurrently.
"""
import threading

import moto.server

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


serve = moto.server.run_simple
moto.server.run_simple = run_simple_one_dynamodb_request_at_a_time

if __name__ == "__main__":
    moto.server.main()
