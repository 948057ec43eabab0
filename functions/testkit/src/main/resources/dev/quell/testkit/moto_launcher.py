"""Start moto_server on loopback with three corrections that make moto behave as AWS does.

1. moto 5.2 reports a network interface's security groups as the union of the groups set on the interface and the
   groups its instance was launched with. Real EC2 reports only the interface's own groups, so after a
   per-interface security group change moto would still list the launch group. This launcher makes the interface
   report its own groups, which moto already sets from the launch groups when it creates the interface.
2. moto serves requests on several threads and checks a DynamoDB condition and writes the item in separate steps,
   so two concurrent conditional writes can both succeed. DynamoDB applies each conditional write atomically. This
   launcher runs moto's DynamoDB writes one at a time.

3. moto 5.2 accepts inline IAM policies of any size. Real IAM caps the total size of a role's inline policies at
   10,240 characters and a user's at 2,048, not counting white space, and rejects a put past the cap with
   LimitExceeded (IAM and AWS STS quotas, IAM User Guide). This launcher enforces both caps.

Usage: python3 moto_launcher.py PORT
"""

import os
import sys

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import functools  # noqa: E402
import threading  # noqa: E402

from moto.dynamodb.models import DynamoDBBackend  # noqa: E402
from moto.ec2.models.elastic_network_interfaces import NetworkInterface  # noqa: E402
from moto.iam.exceptions import LimitExceededException  # noqa: E402
from moto.iam.models import IAMBackend  # noqa: E402
from moto.server import main  # noqa: E402

ROLE_INLINE_POLICY_QUOTA = 10240
USER_INLINE_POLICY_QUOTA = 2048


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


def _size_without_white_space(document):
    return len("".join(str(document).split()))


def _check_inline_quota(kind, name, existing, policy_name, policy_json, quota):
    total = _size_without_white_space(policy_json) + sum(
        _size_without_white_space(document) for other, document in existing.items() if other != policy_name)
    if total > quota:
        raise LimitExceededException(f"Maximum policy size of {quota} bytes exceeded for {kind} {name}")


_put_role_policy = IAMBackend.put_role_policy
_put_user_policy = IAMBackend.put_user_policy


def _put_role_policy_within_quota(self, role_name, policy_name, policy_json):
    role = self.get_role(role_name)
    _check_inline_quota("role", role_name, role.policies, policy_name, policy_json, ROLE_INLINE_POLICY_QUOTA)
    return _put_role_policy(self, role_name, policy_name, policy_json)


def _put_user_policy_within_quota(self, user_name, policy_name, policy_json):
    user = self.get_user(user_name)
    _check_inline_quota("user", user_name, user.policies, policy_name, policy_json, USER_INLINE_POLICY_QUOTA)
    return _put_user_policy(self, user_name, policy_name, policy_json)


IAMBackend.put_role_policy = _put_role_policy_within_quota
IAMBackend.put_user_policy = _put_user_policy_within_quota

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
