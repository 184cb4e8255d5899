// SPDX-License-Identifier: GPL-2.0-or-later
// The C interface (pseudoscopic/pseudoscopic.h) over the C++ library: no
// exception crosses it, each becomes a negative errno.
#include "pseudoscopic/pseudoscopic.h"

#include <cerrno>
#include <memory>
#include <new>
#include <system_error>
#include <unistd.h>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/move.hpp"
#include "pseudoscopic/version.hpp"

struct ps_dev {
	ps::DevFile file;
};

namespace {

// Run fn, turning what it throws into a negative errno.
template <typename Fn> int guarded(Fn &&fn) noexcept
{
	try {
		fn();
		return 0;
	} catch (const std::system_error &e) {
		return e.code().value() > 0 ? -e.code().value() : -EIO;
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	} catch (const std::invalid_argument &) {
		return -EINVAL;
	} catch (...) {
		return -EIO;
	}
}

} // namespace

extern "C" {

const char *ps_lib_version(void)
{
	return ps::package_version();
}

struct ps_dev *ps_dev_open(const char *node)
{
	std::unique_ptr<ps_dev> dev;
	const int rc = guarded([&] {
		const std::string path = node ? node : ps::default_node();
		if (path.empty())
			throw std::system_error(ENOENT, std::generic_category(), "no /dev/pseudoscopicN");
		dev = std::make_unique<ps_dev>(ps_dev{ps::DevFile(path)});
	});
	if (rc) {
		errno = -rc;
		return nullptr;
	}
	return dev.release(); // NOLINT(cppcoreguidelines-owning-memory): ps_dev_close() takes it back
}

void ps_dev_close(struct ps_dev *dev)
{
	const std::unique_ptr<ps_dev> owned(dev); // NOLINT(cppcoreguidelines-owning-memory): from ps_dev_open()
}

const char *ps_dev_path(const struct ps_dev *dev)
{
	return dev->file.path().c_str();
}

int ps_dev_info(const struct ps_dev *dev, struct ps_info *info)
{
	return guarded([&] { *info = dev->file.info(); });
}

int ps_move(const struct ps_dev *dev, int pidfd, uint64_t start, uint64_t length, uint32_t direction,
	    uint32_t flags, struct ps_move_result *result)
{
	return guarded([&] {
		const ps::MoveTotals t = ps::move_ranges(dev->file, pidfd, {ps::AddrRange{start, start + length, ""}},
							 direction, flags, std::uint64_t{1} << 30);
		if (result)
			*result = {t.requested, t.migrated, t.absent, t.unmovable, t.pinned, t.no_space, t.elsewhere};
	});
}

int ps_where(const struct ps_dev *dev, int pidfd, pid_t pid, uint64_t start, uint64_t length,
	     struct ps_where_counts *where)
{
	return guarded([&] {
		const auto page = static_cast<std::uint64_t>(dev->file.info().page_size);
		const auto res = ps::query_ranges(dev->file, pidfd, pid > 0 ? pid : getpid(),
						  {ps::AddrRange{start, start + length, ""}}, page);
		const ps::StateCounts &c = res.at(0).counts;
		*where = {c.at(ps::st_device), c.at(ps::st_ram), c.at(ps::st_other), c.at(ps::st_swapped),
			  c.at(ps::st_absent)};
	});
}

int ps_device_count(void)
{
	int n = 0;
	const int rc = guarded([&] { n = static_cast<int>(ps::discover_devices().size()); });
	return rc ? rc : n;
}

} // extern "C"
