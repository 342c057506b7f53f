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

// homeWANMasq is homeBridge with ether1 the WAN at 203.0.113.2/24, the LAN
// at 192.168.88.1/24 and the masquerade on the WAN list, ending in the nat
// menu so that a test adds its forwards.
const homeWANMasq = homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
