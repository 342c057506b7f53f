# Nothing beyond the lab's base (labs/pppoe.rsc): pppoe-out1 dials
# with RouterOS's default allow=pap,chap,mschap1,mschap2.
