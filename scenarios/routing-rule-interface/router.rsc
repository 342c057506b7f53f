# The LAN is a bridge whose name is longer than Linux's 15 bytes (RouterOS
# allows it), and everything that comes in on it is routed out WAN2 by a
# /routing rule interface= into a fib table, as forum answers route a guest
# bridge or VLAN out a second ISP. The main table keeps WAN1.
/interface bridge
add name=bridge-lan-clients
/interface bridge port
add bridge=bridge-lan-clients interface=ether3
/ip address
set [find interface=ether3] interface=bridge-lan-clients
/interface list member
set [find interface=ether3] interface=bridge-lan-clients
/routing table
add fib name=to_wan2
/ip route
add dst-address=0.0.0.0/0 gateway=198.18.0.1@main routing-table=to_wan2
/routing rule
add action=lookup comment=lan-out-wan2 interface=bridge-lan-clients table=to_wan2
