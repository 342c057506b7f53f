# Nothing beyond the lab's base: the RouterOS 7 defconf IPv6 firewall.
/system identity set name=router
