# Method 2 on a router whose LAN is a bridge: the port forward plus the
# narrow hairpin masquerade, with out-interface=bridge1 (the L3 interface
# of the LAN; routed packets leave through the bridge, not its ports).
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: method 2" dst-address=192.168.88.10 dst-port=12566 out-interface=bridge1 protocol=tcp src-address=192.168.88.0/24
