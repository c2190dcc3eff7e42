# Raw generic-netlink client for rig tests: talks to the safeline family with names and
# numbers read from the uapi header, so a test checks the protocol itself, not safectl.
# Imported by the Python that suppress.sh and robust.sh run in the guest.
import re
import socket
import struct

sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
sock.setsockopt(270, 11, 1)	# SOL_NETLINK, NETLINK_EXT_ACK
sock.setsockopt(270, 10, 1)	# NETLINK_CAP_ACK: the error carries our header only


def enums(header_path):
    """enum(tag) -> {name: value} for the enums of the uapi header at header_path"""
    text = re.sub(r'/\*.*?\*/', '', open(header_path).read(), flags=re.S)

    def enum(tag):
        body = re.search(r'enum %s \{(.*?)\}' % tag, text, re.S).group(1)
        return {n.strip(): i for i, n in enumerate(x for x in body.split(',') if x.strip())}
    return enum


def attr(t, data):
    return struct.pack('HH', 4 + len(data), t) + data + b'\0' * (-len(data) % 4)


def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        n, t = struct.unpack_from('HH', buf, off)
        out[t & 0x3fff] = buf[off + 4:off + n]
        off += max(4, (n + 3) & ~3)
    return out


def exchange(family, cmd, flags, payload=b''):
    """(errno, NLMSGERR_ATTR_* dict, reply attribute dicts) of one request with NLM_F_ACK"""
    body = struct.pack('BBH', cmd, 1, 0) + payload
    sock.send(struct.pack('IHHII', 16 + len(body), family, 1 | 4 | flags, 1, 0) + body)
    msgs = []
    while True:
        data, off = sock.recv(65536), 0
        while off < len(data):
            n, typ = struct.unpack_from('IH', data, off)
            if typ == 3:	# NLMSG_DONE
                return 0, {}, msgs
            if typ == 2:	# NLMSG_ERROR: error, our 16-byte header, then the TLVs
                err = -struct.unpack_from('i', data, off + 16)[0]
                return err, attrs(data[off + 36:off + n]), msgs
            msgs.append(attrs(data[off + 20:off + n]))
            off += (n + 3) & ~3


def ask(family, cmd, flags, payload=b''):
    """(errno, extack text, reply attribute dicts) of one request with NLM_F_ACK"""
    err, ext, msgs = exchange(family, cmd, flags, payload)
    return err, ext.get(1, b'').rstrip(b'\0').decode(), msgs


def refusal(family, cmd, payload):
    """(errno, extack text, type of the attribute it points at, type it says is missing) of
    a refused request; either type is None where the extack names none"""
    err, ext, _ = exchange(family, cmd, 0, payload)
    msg = ext.get(1, b'').rstrip(b'\0').decode()
    at = miss = None
    if 2 in ext:	# NLMSGERR_ATTR_OFFS, from the start of our nlmsghdr; payload is past 20
        at = struct.unpack_from('HH', payload, struct.unpack('I', ext[2][:4])[0] - 20)[1]
    if 5 in ext:	# NLMSGERR_ATTR_MISS_TYPE
        miss = struct.unpack('I', ext[5][:4])[0]
    return err, msg, at, miss


def family():
    """the safeline family's id, from nlctrl (CTRL_CMD_GETFAMILY by name)"""
    fam = ask(0x10, 3, 0, attr(2, b'safeline\0'))[2]
    return struct.unpack('H', fam[0][1][:2])[0]


def nested(buf):
    """the attribute dicts of a nested array (CTRL_ATTR_MCAST_GROUPS and the like)"""
    return [attrs(v) for _, v in sorted(attrs(buf).items())]


def group(name, family_name='safeline'):
    """a multicast group's id, from CTRL_CMD_GETFAMILY's CTRL_ATTR_MCAST_GROUPS"""
    err, msg, reply = ask(0x10, 3, 0, attr(2, family_name.encode() + b'\0'))
    if err:
        raise OSError(err, 'CTRL_CMD_GETFAMILY %s: %s' % (family_name, msg))
    for g in nested(reply[0].get(7, b'')):	# CTRL_ATTR_MCAST_GROUPS
        if g[1].rstrip(b'\0').decode() == name:	# CTRL_ATTR_MCAST_GRP_NAME
            return struct.unpack('I', g[2][:4])[0]	# CTRL_ATTR_MCAST_GRP_ID
    raise KeyError('family %s has no multicast group %s' % (family_name, name))


def subscribe(name='events', rcvbuf=0):
    """a new socket in the family's group name (NETLINK_ADD_MEMBERSHIP); rcvbuf in bytes
    (SO_RCVBUFFORCE, root only) when nonzero. Joining raises PermissionError when refused."""
    gid = group(name)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)	# SO_RCVBUFFORCE
    s.bind((0, 0))
    s.setsockopt(270, 1, gid)	# SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
    return s


def messages(data):
    """(genl command, attribute dict, raw message bytes) of each message in a datagram"""
    off = 0
    while off + 20 <= len(data):
        n = struct.unpack_from('I', data, off)[0]
        if n < 20:
            break
        yield data[off + 16], attrs(data[off + 20:off + n]), data[off:off + n]
        off += (n + 3) & ~3
