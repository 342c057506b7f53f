package check

// homeBridge is what many test exports write after their header line: a
// home router's bridge "bridge" on ether2, and the WAN and LAN lists with
// the bridge in LAN. Each test goes on with its own WAN and rules; the
// text is the same, so the line numbers its assertions name stay.
const homeBridge = `/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
`

// etherLists is the WAN and LAN lists of a router without a bridge: ether1
// in WAN, ether2 in LAN.
const etherLists = `/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
`
