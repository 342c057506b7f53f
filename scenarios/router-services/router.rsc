# Nothing beyond the lab's base: the router's own services run with
# RouterOS's defaults (ftp on 21, telnet on 23, www on 80, ...).
