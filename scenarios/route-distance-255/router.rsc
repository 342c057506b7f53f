# Nothing beyond the lab's base: its default route (comment isp) is the
# one the steps give distance 255 and back.
