"""A spherical region of interest on nilearn's MNI152 template."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..validation import (
    as_float_array,
    as_positive_float,
)

# An APPROXIMATE left ventral striatum (nucleus accumbens) location in MNI
# space, in mm, read off nilearn's MNI152 template. It is not the trial's
# region of interest: Inagaki et al. (2019, 2020) used an a priori VS mask
# whose coordinates are not in the sources available to this course.
LEFT_VS_APPROX_MNI = (-10.0, 12.0, -8.0)


@lru_cache(maxsize=2)
def mni_template(resolution: int = 1):
    """nilearn's MNI152 T1 template, read from a file shipped inside nilearn.

    ``nilearn.datasets.load_mni152_template``: no download.
    ``resolution=1``: the 1 mm original. ``resolution=2``: every second voxel
    along each axis (2 mm, no interpolation), eight times smaller and much
    faster to draw; nilearn's own ``resolution=2`` resamples instead, which is slower.

    Parameters
    ----------
    resolution : {1, 2}
        Voxel size in mm.

    Returns
    -------
    nibabel.Nifti1Image
        The template image.

    Raises
    ------
    ValueError
        If resolution is not 1 or 2.
    """
    from nilearn.datasets import load_mni152_template
    from nilearn.image import new_img_like

    if isinstance(resolution, bool) or resolution not in (1, 2):
        raise ValueError(f"resolution must be 1 or 2 (mm); got {resolution!r}")
    template = load_mni152_template()
    if resolution == 1:
        return template
    data = np.asarray(template.dataobj)[::2, ::2, ::2]
    return new_img_like(template, data, affine=template.affine @ np.diag([2.0, 2.0, 2.0, 1.0]))


def sphere_roi(center_mm=LEFT_VS_APPROX_MNI, radius_mm: float = 6.0, reference=None, crop: bool = False):
    """A spherical region of interest: 1 inside, 0 outside, as a Nifti image.

    A voxel belongs to the sphere when its centre, in mm (voxel index mapped
    through the image's affine), lies within ``radius_mm`` of ``center_mm``:
    ||A [i, j, k, 1]' - c|| <= radius. Only a box around the sphere is examined,
    so this is fast.

    Parameters
    ----------
    center_mm : sequence of 3 floats
        Centre (x, y, z) in mm; default an approximate left ventral striatum.
    radius_mm : float
        Radius in mm (> 0).
    reference : nibabel image, optional
        Image whose grid is used; default ``mni_template()``.
    crop : bool
        Return only the box around the sphere (same voxels, same world
        coordinates), which nilearn draws much faster than a whole-brain image.

    Returns
    -------
    nibabel.Nifti1Image
        The mask (int8).

    Raises
    ------
    ValueError
        If center_mm is not three numbers, radius_mm is not positive, the
        centre lies outside the image, or the sphere contains no voxel.
    """
    from nilearn.image import new_img_like

    center = as_float_array(center_mm, "center_mm")
    if center.size != 3:
        raise ValueError(f"center_mm must be three numbers (x, y, z in mm); got {center.size}")
    radius = as_positive_float(radius_mm, "radius_mm")
    reference = mni_template() if reference is None else reference
    affine, shape = reference.affine, reference.shape[:3]
    centre_ijk = np.linalg.solve(affine[:3, :3], center - affine[:3, 3])
    reach = np.ceil(radius / np.abs(np.diag(affine[:3, :3]))).astype(int) + 1
    low = np.maximum(np.floor(centre_ijk).astype(int) - reach, 0)
    high = np.minimum(np.ceil(centre_ijk).astype(int) + reach + 1, shape)
    if np.any(high <= low):
        raise ValueError(f"center_mm {tuple(center)} lies outside the reference image")
    box = np.stack(np.meshgrid(*(np.arange(lo, hi) for lo, hi in zip(low, high)), indexing="ij"))
    xyz = np.tensordot(affine[:3, :3], box, axes=1) + affine[:3, 3][:, None, None, None]
    inside = np.sum((xyz - center[:, None, None, None]) ** 2, axis=0) <= radius ** 2
    if not inside.any():
        raise ValueError("the sphere contains no voxel: increase radius_mm")
    if crop:
        box_affine = affine.copy()
        box_affine[:3, 3] = affine[:3, :3] @ low + affine[:3, 3]
        return new_img_like(reference, inside.astype(np.int8), affine=box_affine)
    mask = np.zeros(shape, dtype=np.int8)
    mask[low[0]:high[0], low[1]:high[1], low[2]:high[2]] = inside
    return new_img_like(reference, mask, copy_header=True)
