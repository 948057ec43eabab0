"""Start moto_server on loopback with one correction to its EC2 model.

moto 5.2 reports a network interface's security groups as the union of the groups set on the interface and the
groups its instance was launched with. Real EC2 reports only the interface's own groups, so after a per-interface
security group change moto would still list the launch group. This launcher makes the interface report its own
groups, which moto already sets from the launch groups when it creates the interface.

Usage: python3 moto_launcher.py PORT
"""

import os
import sys

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.ec2.models.elastic_network_interfaces import NetworkInterface  # noqa: E402
from moto.server import main  # noqa: E402


def _own_groups(self):
    return self._group_set


NetworkInterface.group_set = property(_own_groups)

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
