# Nothing beyond the lab's base: the WAN (ether1) takes its address from
# the ISP's DHCP server; the steps put ether1 into a bridge and back.
