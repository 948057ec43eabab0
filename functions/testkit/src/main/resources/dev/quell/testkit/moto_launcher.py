"""Start moto_server on loopback with two corrections that make moto behave as AWS does.

1. moto 5.2 reports a network interface's security groups as the union of the groups set on the interface and the
   groups its instance was launched with. Real EC2 reports only the interface's own groups, so after a
   per-interface security group change moto would still list the launch group. This launcher makes the interface
   report its own groups, which moto already sets from the launch groups when it creates the interface.
2. moto serves requests on several threads and checks a DynamoDB condition and writes the item in separate steps,
   so two concurrent conditional writes can both succeed. DynamoDB applies each conditional write atomically. This
   launcher runs moto's DynamoDB writes one at a time.

Usage: python3 moto_launcher.py PORT
"""

import os
import sys

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import functools  # noqa: E402
import threading  # noqa: E402

from moto.dynamodb.models import DynamoDBBackend  # noqa: E402
from moto.ec2.models.elastic_network_interfaces import NetworkInterface  # noqa: E402
from moto.server import main  # noqa: E402


def _own_groups(self):
    return self._group_set


NetworkInterface.group_set = property(_own_groups)

_dynamodb_writes = threading.RLock()


def _serialised(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _dynamodb_writes:
            return method(*args, **kwargs)

    return wrapper


for _name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
    setattr(DynamoDBBackend, _name, _serialised(getattr(DynamoDBBackend, _name)))

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
