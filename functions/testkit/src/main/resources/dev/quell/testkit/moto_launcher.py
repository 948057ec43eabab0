"""Start moto_server on loopback with two corrections to its models.

moto 5.2 reports a network interface's security groups as the union of the groups set on the interface and the
groups its instance was launched with. Real EC2 reports only the interface's own groups, so after a per-interface
security group change moto would still list the launch group. This launcher makes the interface report its own
groups, which moto already sets from the launch groups when it creates the interface.

moto 5.2 serves requests on several threads and checks a DynamoDB write's condition expression without a lock.
Two concurrent conditional writes to one item can then both succeed: in a local check of 60 rounds, each of 8
concurrent UpdateItem calls on one new key with attribute_not_exists, 8 rounds had two winners. DynamoDB applies
each write to an item atomically, and Quell's ledger relies on that, so this launcher runs DynamoDB writes one at
a time.

Usage: python3 moto_launcher.py PORT
"""

import functools
import os
import sys
import threading

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.dynamodb.models import DynamoDBBackend  # noqa: E402
from moto.ec2.models.elastic_network_interfaces import NetworkInterface  # noqa: E402
from moto.server import main  # noqa: E402


def _own_groups(self):
    return self._group_set


NetworkInterface.group_set = property(_own_groups)

_DYNAMODB_WRITES = threading.Lock()


def _one_at_a_time(write):
    @functools.wraps(write)
    def locked(*args, **kwargs):
        with _DYNAMODB_WRITES:
            return write(*args, **kwargs)

    return locked


for _name in ("put_item", "update_item", "delete_item", "transact_write_items"):
    setattr(DynamoDBBackend, _name, _one_at_a_time(getattr(DynamoDBBackend, _name)))

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
