package klm.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import klm.protocols.control.ControlProtocol;
import klm.protocols.hotplug.HotplugProtocol;
import klm.protocols.hugetlb.HugetlbFreeProtocol;
import klm.protocols.mmunotifier.MmuNotifierProtocol;
import klm.protocols.vmalock.VmaLockProtocol;
import klm.verdict.SelectionException;
import klm.verdict.Variant;

/** Every protocol's variants, in the order the results table shows them. New protocols register here. */
public final class Catalog {
    private Catalog() {}

    private static final List<Variant> ALL = build();

    private static List<Variant> build() {
        List<Variant> all = new ArrayList<>();
        all.addAll(ControlProtocol.variants());
        all.addAll(HotplugProtocol.variants());
        all.addAll(HugetlbFreeProtocol.variants());
        all.addAll(VmaLockProtocol.variants());
        all.addAll(MmuNotifierProtocol.variants());
        Set<String> ids = new LinkedHashSet<>();
        for (Variant v : all) {
            if (!ids.add(v.id())) {
                throw new IllegalStateException("two variants named " + v.id());
            }
        }
        return Collections.unmodifiableList(all);
    }

    public static List<Variant> all() {
        return ALL;
    }

    public static List<String> protocols() {
        List<String> out = new ArrayList<>();
        for (Variant v : ALL) {
            if (!out.contains(v.protocol())) {
                out.add(v.protocol());
            }
        }
        return out;
    }

    public static Variant get(String protocol, String name) {
        for (Variant v : ALL) {
            if (v.protocol().equals(protocol) && v.name().equals(name)) {
                return v;
            }
        }
        throw new SelectionException("no variant " + protocol + "/" + name);
    }
}
